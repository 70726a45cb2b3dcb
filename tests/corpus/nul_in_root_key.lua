-- expect: exit 2
-- message: duration
return { ["duration\0"] = 60, devices = { { count = 1 } } }
