from playwright.sync_api import expect


def tab_to(page, text: str, *, limit: int = 80):
    """Press Tab until the focused element's text contains `text`; fail if never."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement;"
            " return el.innerText || el.value || ''; }"
        )
        if text in focused:
            return page.locator(":focus")
    raise AssertionError(f"{text!r} is not reachable with Tab")


def log_in(page, username: str, password: str):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("status")).to_have_text("You are logged in.")
