//! The HTML reports of realistic chats (`tests/logs/`): their golden files, and what a person sees of them in a
//! real headless Chromium.
//!
//! To add a log (a held-out export, say), put it in `tests/logs/`, add a row to [`LOGS`], and bless.
//!
//! - `REDFLAG_BLESS=1` rewrites `tests/expected/<log>.html`.
//! - `REDFLAG_CHROMIUM=/path/to/chromium` picks the browser (else `chromium`, `chromium-browser` or `google-chrome`
//!   on `PATH`; without one the browser test prints a note and passes).
//! - `REDFLAG_SCREENSHOT=docs/report.png` also saves a phone-sized screenshot of `sample.txt` (390 × 2900, the
//!   first highlight's explanation open); a relative path is taken from the workspace root.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use redflag::{Category, Detector, Role};
use redflag_chat::{parse, InputFormat};
use redflag_report::{html, Action, ChatReport, Lang, Platform};
use serde_json::{json, Value};

/// A chat log and who the buyer is in it (`None`: every sender's role is unknown).
struct Log {
    file: &'static str,
    text: &'static str,
    buyer: Option<&'static str>,
    /// Compared with a golden file here (the chat crate's exports have theirs as CLI goldens in the root package).
    golden: bool,
}

const LOGS: &[Log] = &[
    Log {
        file: "sample.txt",
        text: include_str!("logs/sample.txt"),
        buyer: Some("Tom Becker"),
        golden: true,
    },
    Log {
        file: "zh_1688.txt",
        text: include_str!("logs/zh_1688.txt"),
        buyer: None,
        golden: true,
    },
    // One export per input format the chat crate reads (LINE, Telegram JSON, WeChat forwards, WhatsApp locales),
    // auto-detected: every format's report must show its findings in the browser.
    export("line_en.txt", include_str!("../../chat/tests/logs/line_en.txt")),
    export("line_zh.txt", include_str!("../../chat/tests/logs/line_zh.txt")),
    export("telegram.json", include_str!("../../chat/tests/logs/telegram.json")),
    export(
        "wechat_forward.txt",
        include_str!("../../chat/tests/logs/wechat_forward.txt"),
    ),
    export(
        "wechat_forward_en.txt",
        include_str!("../../chat/tests/logs/wechat_forward_en.txt"),
    ),
    export(
        "whatsapp_ios.txt",
        include_str!("../../chat/tests/logs/whatsapp_ios.txt"),
    ),
    export("whatsapp_zh.txt", include_str!("../../chat/tests/logs/whatsapp_zh.txt")),
];

const fn export(file: &'static str, text: &'static str) -> Log {
    Log {
        file,
        text,
        buyer: None,
        golden: false,
    }
}

/// The attacker's payload in the sample: each part sets this global if it ever runs.
const PAYLOAD: &str = "<script>window.__redflagPwned = 1</script>";

struct Rendered {
    file: &'static str,
    golden: bool,
    report: ChatReport,
    html: String,
}

static RENDERED: LazyLock<Vec<Rendered>> = LazyLock::new(|| {
    let detector = Detector::new();
    LOGS.iter()
        .map(|log| {
            let mut convo = detector.conversation();
            let mut builder = ChatReport::builder();
            builder.keep_all(true);
            for m in parse(log.text, InputFormat::Auto) {
                // System lines are shown, never scanned: the conversation numbers people's messages only.
                if m.system {
                    builder.push_system(&m);
                    continue;
                }
                let role = match log.buyer {
                    Some(b) if m.sender.as_deref() == Some(b) => Role::Buyer,
                    Some(_) => Role::Seller,
                    None => Role::Unknown,
                };
                builder.push(&m, role, &convo.push(role, &m.text));
            }
            let report = builder.finish(&convo);
            let html = html::render(&report, log.file);
            Rendered {
                file: log.file,
                golden: log.golden,
                report,
                html,
            }
        })
        .collect()
});

fn rendered(file: &str) -> &'static Rendered {
    RENDERED.iter().find(|r| r.file == file).expect("a log of LOGS")
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The logs are the chats they claim to be, so the browser test below checks something real.
#[test]
fn logs_have_what_the_tests_need() {
    let r = &rendered("sample.txt").report;
    assert_eq!(r.verdict.action, Action::Stop);
    assert!(r.verdict.headline.contains("WhatsApp"), "{}", r.verdict.headline);
    assert_eq!(r.counts.messages, 8, "system lines are not counted");
    assert_eq!(r.messages.iter().filter(|m| m.system).count(), 2);
    let cats = r.categories();
    for c in [
        Category::ContactMove,
        Category::OffPlatformPayment,
        Category::GatewayMaintenancePretext,
    ] {
        assert!(cats.contains(&c), "{c} missing from {cats:?}");
    }
    let zh = r
        .messages
        .iter()
        .find(|m| m.text.starts_with('亲'))
        .expect("zh message");
    assert!(zh.concerns.iter().any(|c| c.category == Category::OffPlatformPayment));
    assert!(r
        .messages
        .iter()
        .any(|m| m.text.contains('\n') && !m.concerns.is_empty()));
    assert!(r
        .messages
        .iter()
        .any(|m| !m.system && m.role == Role::Seller && m.concerns.is_empty()));
    assert!(r.messages.iter().any(|m| m.text.starts_with(PAYLOAD)));

    let r = &rendered("zh_1688.txt").report;
    assert_eq!(
        (r.lang, r.platform, r.verdict.action),
        (Lang::Zh, Some(Platform::Alibaba1688), Action::Stop)
    );
    let cats = r.categories();
    for c in [
        Category::ContactMove,
        Category::OffPlatformPayment,
        Category::TaxInvoicePretext,
        Category::DisputePressure,
    ] {
        assert!(cats.contains(&c), "{c} missing from {cats:?}");
    }
    assert!(r.messages.iter().all(|m| m.role == Role::Unknown));
    // The second sender's bubbles sit on the right: one has a finding, so an explanation opens from the right too.
    assert!(r
        .messages
        .iter()
        .any(|m| m.sender.as_deref() == Some("王先生") && !m.concerns.is_empty()));
}

#[test]
fn golden_html() {
    let bless = std::env::var_os("REDFLAG_BLESS").is_some();
    for r in RENDERED.iter().filter(|r| r.golden) {
        let name = r.file.trim_end_matches(".txt");
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/expected/{name}.html"));
        if bless {
            fs::write(&path, &r.html).expect("write golden file");
            continue;
        }
        let want =
            fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} ({e}; REDFLAG_BLESS=1 writes it)", path.display()));
        if want != r.html {
            let line = want
                .lines()
                .zip(r.html.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(want.lines().count().min(r.html.lines().count()));
            panic!(
                "{name}.html differs from line {}:\nwant: {:?}\ngot:  {:?}\n(REDFLAG_BLESS=1 rewrites it)",
                line + 1,
                want.lines().nth(line),
                r.html.lines().nth(line)
            );
        }
    }
}

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("REDFLAG_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// A fresh directory under the system's temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!("redflag-html-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs headless Chromium with `args` and the page, killing it after a minute; returns its standard output.
fn chromium(browser: &Path, tmp: &Path, args: &[&str], page: &Path) -> String {
    // A fresh profile per run, so no run sees another's state.
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let profile = tmp.join(format!("profile-{}", RUNS.fetch_add(1, Ordering::Relaxed)));
    let out_path = tmp.join("stdout.txt");
    let out = fs::File::create(&out_path).expect("stdout file");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::from(out))
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match child.try_wait().expect("wait for chromium") {
            Some(status) => {
                assert!(status.success(), "chromium exited with {status}");
                break;
            }
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium took more than a minute");
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    fs::read_to_string(out_path).expect("chromium's output")
}

/// JSON for inside a `<script>`: no `<` that could end it.
fn script_json(v: &Value) -> String {
    v.to_string().replace('<', "\\u003c")
}

/// The checks run in the page after load; results go into `<pre id="redflag-results">` as JSON.
const CHECKS: &str = r#"
function visible(el) {
  if (!el) return false;
  var r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.display !== 'none' && s.visibility === 'visible' && parseFloat(s.opacity) > 0;
}
function lum(c) {
  var m = c.match(/[\d.]+/g).map(Number);
  var f = function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(m[0]) + 0.7152 * f(m[1]) + 0.0722 * f(m[2]);
}
function contrast(el) {
  var s = getComputedStyle(el), a = lum(s.color), b = lum(s.backgroundColor);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
function background(el) {
  for (; el; el = el.parentElement) {
    var c = getComputedStyle(el).backgroundColor;
    if (c !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(c)) return c;
  }
  return 'rgb(255, 255, 255)';
}
function textContrast(el) {
  var a = lum(getComputedStyle(el).color), b = lum(background(el));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
var TEXT = 'h1, h2, .headline, .reasons li, .facts span, .steps li, .hint, .meta span, .text, .system span, ' +
  '.flags li, footer p, .empty';
function lowContrast(root, selector) {
  var low = [];
  Array.prototype.forEach.call(root.querySelectorAll(selector), function (el) {
    var c = textContrast(el);
    if (visible(el) && c < 4.5) low.push({text: el.textContent.slice(0, 40), contrast: c});
  });
  return low;
}
addEventListener('load', function () {
  var out = {findings: [], focus: [], low_contrast: lowContrast(document, TEXT)};
  EXPECTED.forEach(function (x) {
    var li = document.getElementById('m' + x.pos);
    var marks = li ? Array.prototype.slice.call(li.querySelectorAll('mark')) : [];
    var hit = marks.filter(function (m) {
      return m.textContent.indexOf(x.cover) >= 0 && m.textContent.indexOf(x.quote) >= 0 &&
        (' ' + m.getAttribute('data-categories') + ' ').indexOf(' ' + x.category + ' ') >= 0;
    });
    out.findings.push({pos: x.pos, quote: x.quote, category: x.category, in_mark: hit.length > 0,
      visible: hit.some(visible), contrast: hit.length ? contrast(hit[0]) : 0});
  });
  var h = document.querySelector('.verdict .headline'), badge = document.querySelector('.verdict .badge');
  out.headline = {text: h ? h.textContent : null, visible: visible(h), badge: badge ? badge.textContent : null,
    badge_visible: visible(badge), badge_contrast: badge ? contrast(badge) : 0};
  out.inner_width = window.innerWidth;
  out.scroll_width = document.documentElement.scrollWidth;
  Array.prototype.forEach.call(document.querySelectorAll('mark'), function (m) {
    var tip = document.getElementById(m.getAttribute('aria-describedby'));
    var before = visible(tip);
    m.focus();
    var r = tip ? tip.getBoundingClientRect() : {left: -1, right: 1e9};
    var rec = {id: m.getAttribute('aria-describedby'), hidden_before: !before, focused: document.activeElement === m,
      shown: visible(tip), inside: r.left >= 0 && r.right <= window.innerWidth,
      scroll_width: document.documentElement.scrollWidth, text: tip ? tip.textContent : '',
      low_contrast: tip ? lowContrast(tip, 'span, b') : []};
    m.blur();
    rec.hidden_after = !visible(tip);
    out.focus.push(rec);
  });
  out.pwned = typeof window.__redflagPwned;
  out.payload_as_text = Array.prototype.some.call(document.querySelectorAll('.msg .text'), function (t) {
    return t.textContent.indexOf(PAYLOAD) >= 0;
  });
  out.scripts = document.scripts.length;
  out.dark = matchMedia('(prefers-color-scheme: dark)').matches;
  out.images = document.images.length;
  out.errors = window.__redflagErrors;
  var pre = document.createElement('pre');
  pre.id = 'redflag-results';
  pre.textContent = JSON.stringify(out);
  parent.document.body.appendChild(pre);
});
"#;

#[test]
fn chromium_shows_every_finding() {
    let Some(browser) = find_chromium() else {
        eprintln!("skipping: Chromium not found; .ci/run installs Debian's chromium");
        return;
    };
    let started = Instant::now();
    let tmp = TempDir::new();
    let mut failures = Vec::new();
    for r in RENDERED.iter() {
        failures.extend(check_in_browser(&browser, &tmp.0, r));
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );

    if let Some(shot) = std::env::var_os("REDFLAG_SCREENSHOT") {
        screenshot(
            &browser,
            &tmp.0,
            &rendered("sample.txt").html,
            &workspace_root().join(shot),
        );
    }
    eprintln!("chromium checks took {:?}", started.elapsed());
}

/// Loads one report in Chromium, light then dark, and returns what is wrong with it.
fn check_in_browser(browser: &Path, tmp: &Path, r: &Rendered) -> Vec<String> {
    let html = &r.html;
    assert!(!html.contains("<script"), "{}: the report itself has no script", r.file);
    // The harness drops the page's Content-Security-Policy, which would block its test script and would also hide
    // an escaping bug: the payload must stay text by escaping alone.
    let csp = html
        .lines()
        .find(|l| l.starts_with("<meta http-equiv=\"Content-Security-Policy\""))
        .expect("the report carries a CSP");
    assert!(csp.contains("default-src 'none'"));

    let mut expected = Vec::new();
    for (pos, m) in r.report.messages.iter().enumerate() {
        for c in &m.concerns {
            let cover = m.text.get(c.cover.clone()).unwrap_or(&c.quote);
            expected.push(json!({"pos": pos, "quote": c.quote, "cover": cover, "category": c.category.as_str()}));
        }
    }
    // A clean chat is checked too (verdict visible, no overflow, no script errors); a scam one must have findings.
    assert!(
        !expected.is_empty() || r.report.verdict.action == Action::GoOn,
        "{}: the log has findings",
        r.file
    );
    let errors = "<script>window.__redflagErrors = []; addEventListener('error', function (e) { \
                  window.__redflagErrors.push(String(e.message || e)); });</script>";
    let checks = format!(
        "<script>var EXPECTED = {}; var PAYLOAD = {};{CHECKS}</script>\n",
        script_json(&Value::from(expected.clone())),
        script_json(&Value::from(PAYLOAD))
    );
    let inner = html
        .replace(&format!("{csp}\n"), "")
        .replacen("<head>\n", &format!("<head>\n{errors}\n"), 1)
        .replacen("</body>", &format!("{checks}</body>"), 1);
    // Headless Chromium keeps its window at least 500 px wide, so the phone-sized viewport is an iframe; `srcdoc`
    // makes it same-origin with the harness, which receives the results.
    let srcdoc = inner.replace('&', "&amp;").replace('"', "&quot;");
    let harness = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><style>body{{margin:0}}iframe{{border:0;display:block}}\
         </style></head><body><iframe width=\"390\" height=\"844\" srcdoc=\"{srcdoc}\"></iframe></body></html>\n"
    );
    let page = tmp.join("harness.html");
    fs::write(&page, &harness).expect("write harness");

    let mut failures = Vec::new();
    // Light, then dark (Blink's preferredColorScheme 0 is dark): contrast and visibility hold in both.
    for (mode, scheme) in [("light", "1"), ("dark", "0")] {
        let dom = chromium(
            browser,
            tmp,
            &[
                "--window-size=600,900",
                "--virtual-time-budget=5000",
                &format!("--blink-settings=preferredColorScheme={scheme}"),
                "--dump-dom",
            ],
            &page,
        );
        let results = dom
            .split_once("<pre id=\"redflag-results\">")
            .and_then(|(_, rest)| rest.split_once("</pre>"))
            .map(|(json, _)| json.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
            .unwrap_or_else(|| panic!("{} {mode}: no results in the dumped DOM:\n{dom}", r.file));
        let results: Value = serde_json::from_str(&results).expect("results JSON");
        let payload = r.report.messages.iter().any(|m| m.text.contains(PAYLOAD));
        failures.extend(
            judge(&results, &r.report, expected.len(), mode == "dark", payload)
                .into_iter()
                .map(|f| format!("{} {mode}: {f}", r.file)),
        );
    }
    failures
}

/// A phone-sized screenshot of `html` with its first highlight's explanation open, as focus shows it, by a style
/// alone (the page's CSP allows inline styles, not scripts).
fn screenshot(browser: &Path, tmp: &Path, html: &str, shot: &Path) {
    if let Some(dir) = shot.parent() {
        fs::create_dir_all(dir).expect("screenshot dir");
    }
    let first = html
        .split_once("aria-describedby=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("", |(id, _)| id);
    let open =
        format!("<style>#{first}{{display:block}}[aria-describedby=\"{first}\"]{{outline:3px solid var(--focus)}}</style>\n</head>");
    let report = tmp.join("report.html");
    fs::write(&report, html.replacen("</head>", &open, 1)).expect("write report");
    chromium(
        browser,
        tmp,
        &["--window-size=390,2900", &format!("--screenshot={}", shot.display())],
        &report,
    );
    assert!(shot.is_file(), "no screenshot at {}", shot.display());
}

/// What is wrong with the page, from the checks' results (`expected`: how many findings were checked).
fn judge(r: &Value, report: &ChatReport, expected: usize, dark: bool, payload: bool) -> Vec<String> {
    let mut failures = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            failures.push(what);
        }
    };
    let findings = r["findings"].as_array().expect("findings");
    check(
        findings.len() == expected,
        format!("{} findings checked", findings.len()),
    );
    for f in findings {
        check(f["in_mark"] == true, format!("not inside a mark: {f}"));
        check(f["visible"] == true, format!("mark not visible: {f}"));
        check(
            f["contrast"].as_f64().unwrap_or(0.0) >= 4.5,
            format!("mark contrast under 4.5: {f}"),
        );
    }
    let h = &r["headline"];
    let want_headline = &report.verdict.headline;
    check(
        h["visible"] == true
            && h["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty() && want_headline.ends_with(t)),
        format!("headline {h} (want the end of {want_headline:?})"),
    );
    check(
        h["badge_visible"] == true && h["badge"] == report.verdict.action.word(report.lang),
        format!("badge {h}"),
    );
    check(
        h["badge_contrast"].as_f64().unwrap_or(0.0) >= 4.5,
        format!("badge contrast {h}"),
    );
    check(r["inner_width"] == 390, format!("window width {}", r["inner_width"]));
    check(
        r["scroll_width"].as_u64() <= r["inner_width"].as_u64(),
        format!("horizontal overflow: {} > {}", r["scroll_width"], r["inner_width"]),
    );
    let focus = r["focus"].as_array().expect("focus");
    check(!focus.is_empty() || expected == 0, "no marks focused".to_string());
    for f in focus {
        for key in ["hidden_before", "focused", "shown", "inside", "hidden_after"] {
            check(f[key] == true, format!("focus: {key} fails for {f}"));
        }
        check(
            f["scroll_width"].as_u64() <= r["inner_width"].as_u64(),
            format!("an open explanation overflows: {f}"),
        );
    }
    check(r["pwned"] == "undefined", format!("the payload ran: {}", r["pwned"]));
    check(
        r["payload_as_text"] == payload,
        "the payload does not show as text".to_string(),
    );
    check(
        r["scripts"] == 2,
        format!("scripts in the page: {} (2 are the harness's)", r["scripts"]),
    );
    check(r["images"] == 0, format!("images in the page: {}", r["images"]));
    check(r["errors"] == json!([]), format!("script errors: {}", r["errors"]));
    check(
        r["low_contrast"] == json!([]),
        format!("text under 4.5:1 contrast: {}", r["low_contrast"]),
    );
    for f in focus {
        check(
            f["low_contrast"] == json!([]),
            format!("explanation text under 4.5:1 contrast: {f}"),
        );
    }
    check(r["dark"] == dark, format!("prefers-color-scheme dark: {}", r["dark"]));
    failures
}
