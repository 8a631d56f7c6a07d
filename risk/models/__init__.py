"""Risk app models: classification, banned-practice screen and obligations (issue 4); risk register
and annual reviews (issue 5). Each concept lives in its own module and is re-exported here."""
