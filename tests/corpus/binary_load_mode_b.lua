-- expect: exit 2
-- message: binary chunk
-- load refuses binary chunks even when asked for mode "b".
local chunk = string.dump(function() return { devices = { { count = 1 } } } end)
local f, err = load(chunk, "dumped", "b")
if not f then error(err) end
return f()
