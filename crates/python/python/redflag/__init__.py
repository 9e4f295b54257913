"""redflag: catches scam pretexts in supplier chat messages (1688, Alibaba.com, AliExpress, Taobao), English and
Chinese.

>>> import redflag
>>> d = redflag.Detector()
>>> r = d.scan("Our company account is under audit, please pay the deposit to my personal account.")
>>> r.risk
'high'
>>> f = r.findings[0]
>>> text = "Our company account is under audit, please pay the deposit to my personal account."
>>> text[f.start:f.end] == f.text
True
"""

from ._redflag import (
    ChatMessage,
    Conversation,
    Detector,
    Entity,
    Finding,
    Report,
    RuleError,
    __version__,
    parse_chat,
)

__all__ = [
    "ChatMessage",
    "Conversation",
    "Detector",
    "Entity",
    "Finding",
    "Report",
    "RuleError",
    "__version__",
    "parse_chat",
]
