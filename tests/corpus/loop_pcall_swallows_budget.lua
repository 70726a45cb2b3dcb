-- expect: exit 2
-- message: endless loop
local function settle()
  while true do end
end
local ok = pcall(settle)
return { devices = { { count = 10 } } }
