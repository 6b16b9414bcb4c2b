"""Internals of salesdesk.core.pdf: the document model, fonts, layout and HTML import."""
