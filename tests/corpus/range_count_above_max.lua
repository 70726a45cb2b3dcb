-- expect: exit 2
-- message: devices[1].count: must be <= 100000000 (got 1000000000)
return { devices = { { count = 10^9 // 1 } } }
