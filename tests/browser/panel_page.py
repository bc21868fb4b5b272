"""Opening the seller panel in a browser test: the same steps for every browser test."""

from __future__ import annotations

from typing import Any


def open_panel(driver: Any, url: str, timeout: float = 60) -> Any:
    """Load ``url`` (a record page of the panel host), wait until the panel is ready and return its element."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.switch_to.default_content()
    driver.get(url)
    driver.switch_to.frame(driver.find_element(By.ID, "osi-panel-frame"))
    WebDriverWait(driver, timeout).until(
        lambda d: d.find_element(By.ID, "osi-panel").get_attribute("data-state") in ("ready", "message"))
    panel = driver.find_element(By.ID, "osi-panel")
    assert panel.get_attribute("data-state") == "ready", panel.text
    return panel
