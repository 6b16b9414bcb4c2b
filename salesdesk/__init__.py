"""salesdesk: the work system of a sales-administration department (銷售內勤)."""

__version__ = "0.1.0"
