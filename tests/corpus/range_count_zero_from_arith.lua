-- expect: exit 2
-- message: devices[2].count: must be >= 1 (got 0)
local total, share = 10, 0.04
return {
  devices = {
    { name = "big", count = math.floor(total * (1 - share)) },
    { name = "small", count = math.floor(total * share) },
  },
}
