"""Modal dialogs. Each is a `ModalScreen[T]` that ends in `dismiss(...)`; `escape` cancels."""

from bridge_tui.tui.dialogs.common import ConfirmDialog, ReasonDialog

__all__ = ["ConfirmDialog", "ReasonDialog"]
