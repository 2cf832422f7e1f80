"""The ReINTEL/vfnd reader: the real files and hand-written dirty rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from presswatch.classifiers.reintel import (
    parse_reintel,
    read_posts,
    read_reintel,
    read_vfnd,
)
from presswatch.errors import InputError
from tests.conftest import shared_data

HEADER = (
    "id,user_name,post_message,timestamp_post,num_like_post,num_comment_post,num_share_post,label\n"
)


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "posts.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_real_train_file_counts_and_shifted_rows() -> None:
    result = parse_reintel(shared_data("reintel", "train.csv"))
    assert len(result.posts) == 3404
    assert sum(post.label == 1 for post in result.posts) == 579
    rejoined = {r.post_id for r in result.repairs if r.what.startswith("re-joined")}
    assert rejoined == {"82", "592", "1924", "2593", "3173", "3491", "4220"}
    assert not result.skipped
    by_id = {post.id: post for post in result.posts}
    assert by_id["82"].text.startswith("MU nhuộm đỏ thành Manchester, Ronaldo lập cột mốc")
    assert by_id["82"].published_at == datetime.fromtimestamp(1583713929, tz=UTC)
    assert (by_id["592"].comments, by_id["592"].shares, by_id["592"].label) == (24, 1, 0)


def test_real_train_file_numbers_and_dates() -> None:
    by_id = {post.id: post for post in read_reintel(shared_data("reintel", "train.csv"))}
    assert (by_id["1"].likes, by_id["1"].comments, by_id["1"].shares) == (19477, 378, 173)
    assert by_id["190"].comments == 1  # "1 comment"
    assert by_id["36"].likes == by_id["36"].shares == 0  # "unknown"
    assert by_id["2843"].published_at is not None  # date string in the share column
    assert by_id["2843"].published_at.year == 2020
    assert all(post.text for post in by_id.values())


def test_groups_are_opaque() -> None:
    posts = read_reintel(shared_data("reintel", "train.csv"))
    assert "389c669730cb6c54314a46be785cea42" not in {post.group for post in posts}
    assert len({post.group for post in posts}) == 2552


def test_vfnd_file() -> None:
    posts = read_posts(shared_data("vfnd", "vn_news_226_tlfr.csv"))
    assert len(posts) == 226
    assert sum(post.label == 1 for post in posts) == 103
    assert posts[0].text.startswith("Thủ tướng Abe cúi đầu xin lỗi")
    assert posts[0].published_at is None


def test_shifted_row_is_rejoined(tmp_path: Path) -> None:
    path = write(tmp_path, '7,u1,"Tin A", tin B, tin C,1591690549,9.0,1\n')
    result = parse_reintel(path)
    post = result.posts[0]
    assert post.text == "Tin A, tin B, tin C"
    assert (post.likes, post.comments, post.shares, post.label) == (0, 0, 9, 1)
    assert [r.what for r in result.repairs] == [
        "re-joined text cut by 2 unquoted comma(s)",
        "2 engagement count(s) lost to the shift: 0",
    ]


def test_too_many_fields_are_rejoined(tmp_path: Path) -> None:
    post = read_reintel(write(tmp_path, "8,u1,a, b,1591690549,3,2,1.0,0\n"))[0]
    assert (post.text, post.likes, post.comments, post.shares, post.label) == ("a, b", 3, 2, 1, 0)


def test_empty_message_and_missing_numbers(tmp_path: Path) -> None:
    result = parse_reintel(write(tmp_path, '9,u2,"",,,unknown,,0\n'))
    post = result.posts[0]
    assert (post.text, post.published_at, post.likes, post.shares) == ("", None, 0, 0)
    assert "empty post_message" in [r.what for r in result.repairs]


def test_unlabelled_file(tmp_path: Path) -> None:
    header = HEADER.replace(",label", "")
    post = read_reintel(write(tmp_path, "1,u,xin chào,1591690549,1,2,3\n", header))[0]
    assert (post.label, post.shares) == (None, 3)


@pytest.mark.parametrize(
    ("header", "body", "message"),
    [
        ("a,b,c\n", "1,2,3\n", "is not ReINTEL"),
        (HEADER, "1,u,text,1591690549,1,2,3,maybe\n", "label must be 0 or 1"),
    ],
)
def test_malformed_files_raise(tmp_path: Path, header: str, body: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_reintel(write(tmp_path, body, header))


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_vfnd(tmp_path / "absent.csv")
