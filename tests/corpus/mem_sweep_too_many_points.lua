-- expect: exit 2
-- message: points, at most 100000
local function range(n) local t = {} for i = 1, n do t[i] = i end return t end
return {
  devices = { { count = 1, traffic = { kind = "periodic", period_s = 60 } } },
  sweep = {
    ["devices[1].count"] = range(1000),
    ["devices[1].traffic.period_s"] = range(1000),
  },
}
