-- expect: exit 2
-- message: overflow
-- known-failing: lua/messages (a C stack overflow in nested string.gsub callbacks names no line)
local function expand(s, depth)
  return (s:gsub("x", function() return expand("x", depth + 1) end))
end
return { name = expand("x", 0), devices = { { count = 1 } } }
