-- expect: exit 2
-- message: devices[1].traffic.mean_interval_s
return { devices = { { count = 1, traffic = { kind = "poisson", mean_interval_s = 1e308 } } } }
