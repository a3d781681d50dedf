"""The board in a browser (`bridge serve`): textual-serve runs the app, this package guards it.

Imported only by `bridge serve`, so no other command pays for aiohttp or textual-serve.
"""
