-- expect: exit 0
return { ["devices"] = { { ["count"] = 1, ["traffic"] = { ["kind"] = "none" } } } }
