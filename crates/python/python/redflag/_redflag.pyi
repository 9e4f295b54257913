"""Type stubs of the extension module (the Rust side of the package)."""

from os import PathLike
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

__version__: str

class RuleError(Exception):
    """A rule file or rule text does not load: the message names the file, line and rule."""

class Finding:
    """One finding. `start`/`end` are character offsets into the scanned text (`text[start:end] == self.text`);
    `byte_start`/`byte_end` are offsets into its UTF-8."""
    rule: str
    category: str
    severity: str
    start: int
    end: int
    byte_start: int
    byte_end: int
    text: str

class Entity:
    """A handle, phone, bank account, crypto address or link named in the message (offsets as in `Finding`)."""
    kind: str
    value: str
    start: int
    end: int
    byte_start: int
    byte_end: int
    imitates: Optional[str]

class Report:
    """The result of scanning one message."""
    @property
    def risk(self) -> str:
        """"none", "low", "medium" or "high"."""
    @property
    def is_alert(self) -> bool:
        """Whether the message should stop the buyer (risk "high")."""
    @property
    def findings(self) -> List[Finding]: ...
    @property
    def categories(self) -> List[str]: ...
    @property
    def entities(self) -> List[Entity]: ...
    def to_json(self) -> str:
        """The CLI's JSON object of this message (`scan --lines --format jsonl`; byte offsets)."""
    def to_dict(self) -> Dict[str, Any]: ...
    def findings_json(self) -> str:
        """The `findings` array of `to_json()`, as a string."""

class Conversation:
    """The state of one chat: push its messages in order."""
    def push(self, role: str, text: str) -> Report:
        """Scans the next message; `role` is "seller", "buyer" or "unknown"."""
    @property
    def risk(self) -> str: ...
    @property
    def escalations(self) -> List[str]: ...
    @property
    def messages(self) -> int: ...

class Detector:
    """Scans messages for scam pretexts. Built once; scans never fail. Pickles as its rule sources."""
    def __init__(
        self, rules: Optional[Sequence[Union[str, "PathLike[str]"]]] = None, builtin: bool = True
    ) -> None: ...
    @staticmethod
    def from_toml(text: str, builtin: bool = True) -> "Detector": ...
    def scan(self, text: str) -> Report: ...
    def scan_batch(self, texts: Sequence[str], threads: int = 0) -> List[Report]:
        """Scans in Rust with the GIL released on every core (`threads=0`); reports in input order."""
    def conversation(self) -> Conversation: ...
    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]: ...

class ChatMessage:
    index: int
    line: int
    sender: Optional[str]
    time: Optional[str]
    text: str
    system: bool
    """A line the chat app wrote (encryption notice, media omitted, deleted message), not a person's message."""

def parse_chat(text: str, format: str = "auto") -> List[ChatMessage]:
    """Parses a chat log: "auto", "whatsapp", "wechat" / "wangwang" / "qianniu", "line" (LINE export),
    "telegram" (Telegram Desktop result.json), "wechat-forward" (merged 聊天记录), "name" or "plain"."""
