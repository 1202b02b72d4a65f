"""AI providers: one module per vendor behind `base.Provider`; `registry` picks them in priority order."""
