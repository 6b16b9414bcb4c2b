"""The procedure itself as a course (T1.1): one section per chapter of 銷售內勤流程管理辦法,
each listing the requirement IDs (REQUIREMENTS.md) that salesdesk implements for it.

The titles are the procedure's own chapter headings (course content, stored as data)."""

PROCEDURE_KEY = "procedure"
PROCEDURE_TITLE = "銷售內勤工作流程"
PROCEDURE_DESCRIPTION = (
    "銷售內勤流程管理辦法: the company's sales-administration procedure, chapter by chapter, "
    "with the salesdesk requirement IDs that implement each clause."
)

CHAPTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "客戶信息管理 (§3(一))",
        ("C1.1", "C1.2", "C1.3", "C1.4", "C2.1", "C2.2", "C3.1", "C3.2", "C3.3", "C3.4"),
    ),
    (
        "訂單處理 (§3(二))",
        ("O1.1", "O1.2", "O1.3", "O2.1", "O2.2", "O2.3", "O3.1", "O3.2", "O4.1", "O4.2", "O4.3"),
    ),
    ("合同管理 (§3(三))", ("K1.1", "K1.2", "K2.1", "K2.2", "K3.1", "K3.2", "K3.3", "K4.1", "K4.2")),
    (
        "發貨協調與售後 (§3(四))",
        ("S1.1", "S1.2", "S2.1", "S2.2", "S2.3", "S3.1", "S3.2", "S4.1", "S4.2", "S4.3"),
    ),
    ("銷售數據統計與分析 (§3(五))", ("A1.1", "A1.2", "A2.1", "A2.2", "A3.1", "A3.2", "A4.1")),
    (
        "監督評估與培訓發展 (§4, §5)",
        ("E1.1", "E2.1", "E2.2", "E2.3", "E3.1", "T1.1", "T2.1", "T3.1"),
    ),
    ("風險管理 (§6)", ("R1.1", "R1.2", "R2.1", "R2.2", "R2.3", "R2.4", "R3.1")),
)
