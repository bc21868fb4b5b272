"""Cleaning e-mail bodies: HTML, quoted replies, forwards, signatures, disclaimers, sentences."""

from __future__ import annotations

from connector.insights.talking_points.text import clean_body, html_to_text, sentences, snippet, strip_quoted


def test_html_is_flattened_and_style_and_quotes_dropped() -> None:
    html = ("<html><head><style>p{color:red}</style><title>t</title></head><body><p>Hello&nbsp;there &amp; you"
            "</p><blockquote>quoted <b>text</b></blockquote><div class='gmail_quote'>old mail</div><p>Bye</p>")
    text = html_to_text(html)
    assert "Hello there & you" in text and "Bye" in text
    for gone in ("color:red", "quoted", "old mail"):
        assert gone not in text


def test_unclosed_and_stray_tags_do_not_swallow_text() -> None:
    assert "after" in html_to_text("<p>before</span><div>after")
    assert html_to_text("<blockquote>quoted <p>still quoted").strip() == ""


def test_english_reply_header_cuts_everything_below() -> None:
    body = "Thanks, approved.\n\nOn Tue, Mar 4, 2025 at 9:12 AM, Sarah <s@x.example> wrote:\n> my son's game"
    assert strip_quoted(body).strip() == "Thanks, approved."


def test_wrapped_gmail_header_and_french_header() -> None:
    wrapped = "Ok.\nOn Tue, Mar 4, 2025 at 9:12 AM Sarah Lee <sarah.lee@fabrikam.example>\nwrote:\nold text"
    assert strip_quoted(wrapped).strip() == "Ok."
    french = "D'accord.\n\nLe mar. 4 mars 2025 à 09:12, Sophie <s@x.example> a écrit :\nmon fils"
    assert strip_quoted(french).strip() == "D'accord."


def test_outlook_and_forward_headers() -> None:
    outlook = "See below.\n\n-----Original Message-----\nFrom: Mark\nSent: Monday\nHow was your vacation?"
    assert strip_quoted(outlook).strip() == "See below."
    block = "Fine.\n\nFrom: Mark Hughes\nSent: Monday, June 2, 2025\nTo: Ana\nSubject: x\n\nvacation"
    assert strip_quoted(block).strip() == "Fine."
    fwd = "FYI\n\n---------- Forwarded message ---------\nFrom: a@b\nwedding"
    assert strip_quoted(fwd).strip() == "FYI"


def test_quoted_lines_are_removed_in_the_middle() -> None:
    assert strip_quoted("Top\n> quoted line\nBottom") == "Top\nBottom"


def test_signature_and_disclaimer_are_removed() -> None:
    body = ("My knee surgery went well.\n\nBest regards,\nJohn\nSales | Health Co\n\nThis e-mail is confidential "
            "and intended solely for the addressee; if you received it in error, delete it.")
    assert clean_body(body) == "My knee surgery went well."
    french = ("Ma fille a eu son bac.\n\nCordialement,\nCamille\n"
              "Ce message est confidentiel et destiné à ses destinataires.")
    assert clean_body(french) == "Ma fille a eu son bac."
    assert clean_body("Sounds good.\n\nSent from my iPhone") == "Sounds good."


def test_a_one_line_thanks_is_not_mistaken_for_a_signature() -> None:
    assert clean_body("Thanks!") == "Thanks!"


def test_disclaimer_paragraph_in_the_middle_is_dropped() -> None:
    body = "Para one.\n\nCONFIDENTIALITY NOTICE: this message is confidential and privileged information.\n\nPara two."
    assert clean_body(body) == "Para one.\n\nPara two."


def test_non_text_bodies_give_empty_text() -> None:
    for body in (None, 42, float("nan"), "", "   \n  "):
        assert clean_body(body) == ""


def test_sentences_have_exact_spans() -> None:
    text = "First one. Second one!  Third?\nFourth line"
    got = sentences(text)
    assert [s.text for s in got] == ["First one.", "Second one!", "Third?", "Fourth line"]
    assert all(text[s.start:s.end] == s.text for s in got)


def test_snippet_is_at_most_200_characters() -> None:
    long = "word " * 100
    cut = snippet(long)
    assert len(cut) <= 200 and cut.endswith("…")
    assert snippet("short one") == "short one"
