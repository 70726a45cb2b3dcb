-- expect: exit 2
-- message: devices[1].battery.usable_fraction: must be <= 1 (got 1.5)
return { devices = { { count = 1, battery = { capacity_wh = 5, usable_fraction = 1.5 } } } }
