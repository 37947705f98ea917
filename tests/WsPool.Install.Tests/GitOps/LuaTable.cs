using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WsPool.Install.Tests.GitOps;

/// <summary>JSON to a Lua table constructor, the shape Argo CD hands a health script as <c>obj</c>.</summary>
internal static class LuaTable
{
    public static string From(JsonElement json)
    {
        var lua = new StringBuilder();
        Write(json, lua);
        return lua.ToString();
    }

    private static void Write(JsonElement json, StringBuilder lua)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                lua.Append('{');
                foreach (var p in json.EnumerateObject())
                {
                    lua.Append('[').Append(Quote(p.Name)).Append("]=");
                    Write(p.Value, lua);
                    lua.Append(',');
                }
                lua.Append('}');
                break;
            case JsonValueKind.Array:
                lua.Append('{');
                foreach (var item in json.EnumerateArray())
                {
                    Write(item, lua);
                    lua.Append(',');
                }
                lua.Append('}');
                break;
            case JsonValueKind.String: lua.Append(Quote(json.GetString()!)); break;
            case JsonValueKind.Number: lua.Append(json.GetRawText()); break;
            case JsonValueKind.True: lua.Append("true"); break;
            case JsonValueKind.False: lua.Append("false"); break;
            default: lua.Append("nil"); break;
        }
    }

    private static string Quote(string s)
    {
        var q = new StringBuilder("\"");
        foreach (var c in s)
        {
            if (c is '"' or '\\') q.Append('\\').Append(c);
            else if (c < ' ' || c > '~') foreach (var b in Encoding.UTF8.GetBytes(c.ToString())) q.Append('\\').Append(((int)b).ToString("000", CultureInfo.InvariantCulture));
            else q.Append(c);
        }
        return q.Append('"').ToString();
    }
}
