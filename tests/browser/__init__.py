"""Real-browser tests of the web application: Debian's Chromium, driven by Playwright, against `regledger serve`."""
