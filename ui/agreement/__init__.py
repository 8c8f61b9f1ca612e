"""Reliability → Agreement: figures, confusion matrices and the two-coder timeline."""

from ui.agreement.window import AgreementWindow

__all__ = ["AgreementWindow"]
