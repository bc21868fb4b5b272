"""Talking points: personal conversation starters found in customers' e-mails (English and French).

- :mod:`.text` cleans a body (HTML, quoted replies, signatures, disclaimers) and splits sentences;
- :mod:`.lexicon` reads the cues, traps and word families of each language from ``lexicons/<lang>.toml``;
- :mod:`.detect` scores sentences (:func:`analyze_text`);
- :mod:`.email` analyses one e-mail (:func:`analyze_email`, a pure function of its fields);
- :mod:`.points` turns a frame of e-mails into ``osi_talkingpoint`` rows (:func:`find_talking_points`).
"""

from __future__ import annotations

from connector.insights.talking_points.detect import TOPICS, TalkingPoint, analyze_text, detect_language
from connector.insights.talking_points.email import Email, EmailAnalysis, Mention, analyze_email
from connector.insights.talking_points.points import OUTPUT_COLUMNS, find_talking_points

__all__ = ["OUTPUT_COLUMNS", "TOPICS", "Email", "EmailAnalysis", "Mention", "TalkingPoint", "analyze_email",
           "analyze_text", "detect_language", "find_talking_points"]
