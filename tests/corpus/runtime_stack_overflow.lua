-- expect: exit 2
-- message: stack overflow
-- A recursive helper without a base case.
local function fleet(n) return fleet(n + 1) + 1 end
return { devices = { { count = fleet(1) } } }
