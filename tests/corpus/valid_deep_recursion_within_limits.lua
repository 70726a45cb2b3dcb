-- expect: exit 0
local function depth(n) if n == 0 then return 1 end return depth(n - 1) end
return { devices = { { count = depth(10000) } } }
