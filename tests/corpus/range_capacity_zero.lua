-- expect: exit 2
-- message: devices[1].battery.capacity_wh
return { devices = { { count = 1, battery = { capacity_wh = 0 } } } }
