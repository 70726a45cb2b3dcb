-- expect: exit 2
-- message: devices: expected a list (table), got integer
return { devices = 3 }
