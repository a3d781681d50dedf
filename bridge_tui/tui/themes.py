"""bridge's own theme: high contrast for a projector.

A projected image loses contrast (room light washes dark greys and pale tints out), so this
theme is black on white with saturated dark colours only, no mid greys for text, and a strong
accent for focus. It is chosen like any theme (palette → Theme) and remembered likewise."""

from __future__ import annotations

from textual.theme import Theme

PROJECTOR = Theme(
    name="bridge-projector",
    dark=False,
    primary="#0033CC",
    secondary="#5B00B3",
    accent="#D40078",
    warning="#A04E00",
    error="#C00000",
    success="#006B00",
    foreground="#000000",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#E6E6E6",
    boost="#00000014",
    variables={
        "text-muted": "#202020",
        "text-disabled": "#404040",
        "border": "#000000",
        "border-blurred": "#555555",
        "footer-key-foreground": "#0033CC",
        "footer-background": "#E6E6E6",
        "block-cursor-background": "#0033CC",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-text-style": "bold",
        "input-selection-background": "#0033CC 40%",
        "button-focus-text-style": "bold",
        "scrollbar": "#555555",
        "scrollbar-background": "#E6E6E6",
    },
)

THEMES = (PROJECTOR,)
