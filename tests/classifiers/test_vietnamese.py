"""Vietnamese text handling: tone-mark normalisation, folding, sentences, words, entities."""

from __future__ import annotations

import pytest

from presswatch.classifiers import vietnamese as vi


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoà bình", "hòa bình"),
        ("HOÀ", "HÒA"),
        ("thuỷ sản", "thủy sản"),
        ("Uỷ ban", "Ủy ban"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("quý khách", "quý khách"),  # "qu" is one consonant: the mark stays on y
        ("hoàng hôn", "hoàng hôn"),  # a final consonant: same in both styles
        ("toán", "toán"),
        ("So\u0301c Trăng", "Sóc Trăng"),  # decomposed input composed (NFC)
    ],
)
def test_normalize_vi(raw: str, expected: str) -> None:
    assert vi.normalize_vi(raw) == expected


def test_fold_keeps_length_and_maps_d() -> None:
    text = "Đường đến Sóc Trăng"
    assert vi.fold_diacritics(text) == "Duong den Soc Trang"
    assert len(vi.fold_diacritics(text)) == len(text)
    assert vi.has_diacritics("sọc trắng") and not vi.has_diacritics("soc trang")


def test_sentences_split_paragraphs_first() -> None:
    text = "Ông A nói. TP.HCM có mưa!\nSóc Trăng: 3 người chết"
    assert vi.sentences(text) == ["Ông A nói.", "TP.HCM có mưa!", "Sóc Trăng: 3 người chết"]
    spans = vi.sentence_spans(text)
    assert [text[a:b] for a, b in spans] == vi.sentences(text)


def test_words_join_syllables() -> None:
    assert "Sóc Trăng" in vi.words("Người dân Sóc Trăng đón Tết.")


def test_ner_groups_entities_and_caches() -> None:
    entities = vi.ner("Đại sứ Nhật Bản làm việc tại Hà Nội.")
    assert vi.Entity("Hà Nội", "LOC") in entities
    assert vi.ner_batch(["Đại sứ Nhật Bản làm việc tại Hà Nội."]) == [entities]


def test_social_normalisation_is_a_superset() -> None:
    assert vi.normalize_social("hoà") == "hòa"
