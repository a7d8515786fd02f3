//! End-to-end tests of the real ottu-pos binary over WebDriver.
