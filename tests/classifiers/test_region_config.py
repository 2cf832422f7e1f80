"""The region is configuration: another province's region.toml, same code and same shipped model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from presswatch.document import Document
from presswatch.errors import Drop
from presswatch.pipeline.relevance import Relevance
from presswatch.settings import Settings
from tests.conftest import REPO

BAC_LIEU = (
    "Bạc Liêu: khánh thành cánh đồng điện gió mới\n"
    "Sáng 10/5, UBND tỉnh Bạc Liêu khánh thành nhà máy điện gió ở thị xã Giá Rai. "
    "Dự án có 20 tua-bin, nằm trên vùng biển xã Vĩnh Hậu A, huyện Hòa Bình."
)
SOC_TRANG = (
    "Sóc Trăng: khánh thành cầu mới ở huyện Kế Sách\n"
    "Sáng 2/9, UBND tỉnh Sóc Trăng khánh thành cầu Kế An dài 120 m."
)


@pytest.fixture
def stage(tmp_path: Path) -> Relevance:
    config = tmp_path / "config"
    config.mkdir()
    shutil.copy(REPO / "tests/data/region_other/region.toml", config / "region.toml")
    return Relevance.from_settings(Settings({"config_dir": str(config)}, base_dir=tmp_path))


def test_other_province_found_under_its_names(stage: Relevance) -> None:
    doc = stage.process(Document(url="u", source="t", text=BAC_LIEU))
    assert doc.relevance == 2
    assert {"Bạc Liêu", "Giá Rai"} <= {m.name for m in doc.mentions}


def test_first_province_is_now_another_region(stage: Relevance) -> None:
    with pytest.raises(Drop, match="no mention of Bạc Liêu"):
        stage.process(Document(url="u", source="t", text=SOC_TRANG))


def test_region_file_rebuilds_from_the_national_table(tmp_path: Path) -> None:
    from presswatch.classifiers.gazetteer_build import (
        build_region,
        read_conversion_csv,
        render_toml,
    )
    from tests.conftest import shared_data

    rows = read_conversion_csv(shared_data("admin_2025", "BangChuyendoiDVHC_moi_cu_2025-07.csv"))
    spec = build_region(rows, rows, "Bạc Liêu", source="BangChuyendoiDVHC_moi_cu_2025-07.csv")
    expected = (REPO / "tests/data/region_other/region.toml").read_text(encoding="utf-8")
    assert render_toml(spec) == expected


def test_shipped_region_file_is_what_the_script_builds() -> None:
    from presswatch.classifiers.gazetteer_build import (
        build_region,
        read_conversion_csv,
        render_toml,
    )
    from tests.conftest import shared_data

    own = read_conversion_csv(shared_data("admin_2025", "soc_trang_old_to_new_2025.csv"))
    national = read_conversion_csv(
        shared_data("admin_2025", "BangChuyendoiDVHC_moi_cu_2025-07.csv")
    )
    source = "soc_trang_old_to_new_2025.csv + BangChuyendoiDVHC_moi_cu_2025-07.csv"
    spec = build_region(own, national, "Sóc Trăng", source=source)
    assert render_toml(spec) == (REPO / "config/region.toml").read_text(encoding="utf-8")
