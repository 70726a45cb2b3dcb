-- expect: exit 2
-- message: devices[1].idle.t3324_s
return { devices = { { count = 1, idle = { t3324_s = -20 } } } }
