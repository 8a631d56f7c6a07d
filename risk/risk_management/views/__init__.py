"""Pages of risk management: the risk register (`register`) and the annual reviews (`reviews`)."""
