-- expect: exit 2
-- message: overflow
local function expand(s, depth)
  return (s:gsub("x", function() return expand("x", depth + 1) end))
end
return { name = expand("x", 0), devices = { { count = 1 } } }
