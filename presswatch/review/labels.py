"""Review desk: the Vietnamese names shown for codes (topics, tones, kinds, statuses, reasons)."""

from __future__ import annotations

TOPICS: dict[str, str] = {
    "sovereignty": "Chủ quyền",
    "human_rights": "Nhân quyền",
    "asean": "ASEAN",
    "ethnic_minorities": "Dân tộc thiểu số",
    "religion": "Tôn giáo",
    "fisheries": "Thủy sản",
    "foreign_affairs": "Đối ngoại",
    "image_promotion": "Quảng bá hình ảnh",
}
TONES: dict[str, str] = {"positive": "Tích cực", "neutral": "Trung lập", "negative": "Tiêu cực"}
RELEVANCE: dict[int, str] = {2: "Viết về địa bàn", 1: "Chỉ nhắc đến địa bàn", 0: "Không liên quan"}
SOURCE_KINDS: dict[str, str] = {
    "domestic": "Báo chí trong nước",
    "foreign": "Báo chí nước ngoài",
    "social": "Mạng xã hội",
    "official": "Nguồn chính thống",
}
STATUSES: dict[str, str] = {
    "open": "Chờ duyệt",
    "confirmed": "Đã xác nhận",
    "dismissed": "Đã bác bỏ",
    "all": "Tất cả",
}
SIGNALS: dict[str, str] = {
    "claim_match": "Lặp lại tin sai đã biết",
    "fact_contradiction": "Mâu thuẫn với sự thật đã kiểm chứng",
    "content_model": "Mô hình nội dung",
    "impersonation": "Mạo danh cơ quan chính thức",
    "spike": "Lan truyền đột biến",
    "source_reliability": "Độ tin cậy của nguồn",
}
CLAIM_KINDS: dict[str, str] = {
    "false_claim": "Tin sai đã được bác bỏ",
    "fact": "Sự thật đã kiểm chứng",
    "press_release": "Thông cáo báo chí",
}
EVIDENCE_KEYS: dict[str, str] = {
    "sentence": "Câu khớp",
    "sentences": "Các câu khớp",
    "matched_sentence": "Câu khớp",
    "matched": "Đoạn khớp",
    "terms": "Từ ngữ",
    "claim_id": "Mục đối chiếu",
    "claim_ids": "Mục đối chiếu",
    "similarity": "Độ tương đồng",
    "probability": "Xác suất",
    "reliability": "Độ tin cậy",
    "window": "Khoảng thời gian",
    "count": "Số lượng",
    "sources": "Nguồn",
    "claim": "Tin sai đã biết",
    "correction": "Thông tin đúng",
    "source_url": "Nguồn xác minh",
    "refuted": "Bài viết bác bỏ tin này",
    "fact_id": "Sự thật đối chiếu",
    "subject": "Đối tượng",
    "statement": "Sự thật đã kiểm chứng",
    "verified": "Giá trị đúng",
    "stated": "Giá trị trong bài",
    "spans": "Vị trí trong bài",
}
ROLES: dict[str, str] = {"viewer": "Người xem", "analyst": "Chuyên viên", "admin": "Quản trị"}
DECISIONS: dict[str, str] = {"confirm": "Xác nhận", "dismiss": "Bác bỏ"}
#: Reason codes offered with each decision; the stored code is the key.
REASONS: dict[str, dict[str, str]] = {
    "confirm": {
        "repeats_false_claim": "Lặp lại tin sai đã bị bác bỏ",
        "contradicts_fact": "Sai lệch số liệu, ngày tháng hoặc sự thật",
        "impersonation": "Mạo danh cơ quan, tổ chức",
        "fabricated": "Bịa đặt, không có căn cứ",
        "other": "Lý do khác (ghi chú)",
    },
    "dismiss": {
        "accurate": "Nội dung chính xác",
        "opinion": "Ý kiến, góp ý hoặc phê bình — không phải tin sai",
        "satire": "Châm biếm, hài hước",
        "not_about_region": "Không liên quan đến địa phương",
        "wrong_match": "Đối chiếu nhầm",
        "other": "Lý do khác (ghi chú)",
    },
}
AUDIT_ACTIONS: dict[str, str] = {
    "flag.confirm": "Xác nhận tin sai",
    "flag.dismiss": "Bác bỏ cảnh báo",
    "labels.correct": "Sửa nhãn phân loại",
    "claim.create": "Thêm mục kho đối chiếu",
    "claim.update": "Sửa mục kho đối chiếu",
    "user.create": "Tạo tài khoản",
    "user.password": "Đổi mật khẩu",
    "user.disable": "Khóa tài khoản",
    "user.enable": "Mở khóa tài khoản",
    "user.role": "Đổi vai trò",
    "login": "Đăng nhập",
    "login.locked": "Tạm khóa đăng nhập",
    "logout": "Đăng xuất",
}


def label(table: dict[str, str], code: str) -> str:
    """The Vietnamese name of a code, or the code itself when it has none."""
    return table.get(code, code)
