"""One quarterly update done with the keyboard alone, checking where focus is at every step (WCAG 2.2 AA)."""

import pytest
from playwright.sync_api import expect

from plans.choices import MembershipRole
from plans.models import ImprovementAction, Partnership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.e2e

EA_ACTIONS = "/plans/east-ayrshire-chcj-sip-2020-21/actions/"
FOCUSED = """() => {
    const el = document.activeElement;
    return {tag: el.tagName, id: el.id, label: el.getAttribute('aria-label'), text: el.textContent.trim(),
            name: el.getAttribute('name'), value: el.value, inDialog: !!el.closest('#update-dialog')};
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def tab_until(page, predicate, limit=150):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if predicate(focused(page)):
            return focused(page)
    raise AssertionError(f"Tab never reached the element; focus is on {focused(page)}")


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def rgb(css):
    return [int(part) for part in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]


def test_a_manager_updates_an_action_by_keyboard_alone(seeded, sign_in):
    user = UserFactory(username="keyboard.manager")
    MembershipFactory(
        user=user, partnership=Partnership.objects.get(slug="east-ayrshire-hscp"), role=MembershipRole.MANAGER
    )
    page = sign_in(user)
    page.goto(EA_ACTIONS)

    # Tab along the page to the Update button of A03; its focus ring is clearly visible.
    tab_until(page, lambda f: f["label"] == "Update A03")
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor}; }"
    )
    assert ring["style"] == "solid" and ring["width"] >= 2
    assert contrast(rgb(ring["colour"]), [255, 255, 255]) >= 3

    # Enter opens the dialog with focus on the first choice of RAG status.
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#id_status_0")).to_be_focused()
    expect(dialog).to_contain_text("Last commentary")
    expect(dialog).to_contain_text("Due")

    # Arrow keys choose Amber; Tab to the percentage; leave the commentary empty; Tab to Save.
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "amber"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_percent_complete"
    page.keyboard.type("40")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_commentary"
    save = tab_until(page, lambda f: f["text"] == "Save update", limit=3)
    assert save["inDialog"]
    page.keyboard.press("Enter")

    # The error is announced (an alert) and focus goes to the field in error, which describes it.
    expect(dialog.get_by_role("alert")).to_contain_text("Not saved. Check Commentary")
    commentary = dialog.locator("#id_commentary")
    expect(commentary).to_be_focused()
    expect(commentary).to_have_attribute("aria-invalid", "true")
    described_by = commentary.get_attribute("aria-describedby").split()
    assert any("Add a commentary" in dialog.locator(f"#{ref}").inner_text() for ref in described_by)
    assert dialog.locator("#id_status_1").is_checked()  # what was typed is kept
    assert dialog.locator("#id_percent_complete").input_value() == "40"

    page.keyboard.type("Consultation under way.")
    tab_until(page, lambda f: f["text"] == "Save update", limit=3)
    page.keyboard.press("Enter")
    saved = dialog.get_by_role("status")
    expect(saved).to_contain_text("A03 saved")
    expect(saved).to_be_focused()

    # Escape closes the dialog and focus returns to the Update button that opened it.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("link", name="Update A03")).to_be_focused()
    assert ImprovementAction.objects.get(pk=1003).status == "amber"

    # Enter reopens it; Cancel (reached by Tab) closes it, again back on the same button.
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#id_status_1")).to_be_focused()  # the current status, Amber
    tab_until(page, lambda f: f["text"] == "Cancel", limit=8)
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("link", name="Update A03")).to_be_focused()
    assert ImprovementAction.objects.get(pk=1003).updates.count() == 1
