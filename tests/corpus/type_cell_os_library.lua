-- expect: exit 2
-- message: devices[1].module
-- known-failing: lua/protected calls (reading the sandboxed os table during conversion raises outside a protected call: abort)
return { devices = { { count = 1, module = os } } }
