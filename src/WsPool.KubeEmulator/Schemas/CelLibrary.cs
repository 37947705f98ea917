using System.Collections;
using System.Globalization;
using Cel;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>
/// The CEL environment of CRD validation rules: the Cel package (cel-spec core: macros, has, size, matches,
/// startsWith/endsWith/contains, conversions, timestamps and durations) plus the Kubernetes string and list library
/// functions it lacks, written here. <see cref="KubernetesFunctions"/> names what the API server's environment offers,
/// so a rule using any of them compiles; <see cref="Evaluable"/> says whether this emulator can also run it.
/// </summary>
public static class CelLibrary
{
    private static readonly object Sync = new();
    private static readonly CelEnvironment Environment = Create();

    /// <summary>Functions and macros of cel-spec that the Cel package evaluates.</summary>
    private static readonly HashSet<string> PackageFunctions =
    [
        "size", "has", "all", "exists", "exists_one", "map", "filter", "matches", "startsWith", "endsWith", "contains",
        "int", "uint", "double", "string", "bytes", "bool", "type", "dyn", "duration", "timestamp", "getDate",
        "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getFullYear", "getHours", "getMilliseconds", "getMinutes",
        "getMonth", "getSeconds",
    ];

    /// <summary>Kubernetes library functions implemented below.</summary>
    private static readonly HashSet<string> AddedFunctions =
    [
        "lowerAscii", "upperAscii", "trim", "split", "join", "replace", "indexOf", "lastIndexOf", "substring", "charAt",
        "isSorted", "sum", "min", "max", "reverse", "find", "findAll",
    ];

    /// <summary>
    /// Every function the API server's CRD rule environment declares (cel-spec standard, Kubernetes extensions: strings,
    /// lists, regex, URLs, quantities, IPs and CIDRs, semver, format, optionals, sets, math, encoders, two-variable
    /// comprehensions). A call of any other name is an undeclared reference at compile time.
    /// </summary>
    public static readonly HashSet<string> KubernetesFunctions =
    [
        .. PackageFunctions, .. AddedFunctions,
        "format", "quote", "url", "isURL", "getScheme", "getHost", "getHostname", "getPort",
        "getEscapedPath", "getQuery", "quantity", "isQuantity", "sign", "isInteger", "asInteger", "asApproximateFloat",
        "add", "sub", "isLessThan", "isGreaterThan", "compareTo", "ip", "isIP", "cidr", "isCIDR", "family",
        "isUnspecified", "isLoopback", "isLinkLocalMulticast", "isLinkLocalUnicast", "isGlobalUnicast", "containsIP",
        "containsCIDR", "prefixLength", "masked", "semver", "isSemver", "major", "minor", "patch", "of", "none",
        "hasValue", "value", "orValue", "or", "optMap", "optFlatMap", "equivalent", "intersects", "greatest", "least",
        "ceil", "floor", "round", "trunc", "abs", "isInf", "isNaN", "isFinite", "bitAnd", "bitOr", "bitXor", "bitNot",
        "bitShiftLeft", "bitShiftRight", "sqrt", "encode", "decode", "transformList", "transformMap",
        "transformMapEntry", "existsOne", "distinct", "flatten", "range", "slice", "sortBy", "sort", "first", "last",
        "getRange", "optIndex",
    ];

    /// <summary>Namespaces of qualified function names (math.greatest, strings.quote, base64.encode, sets.contains, optional.of).</summary>
    public static readonly HashSet<string> Namespaces = ["math", "strings", "base64", "sets", "optional", "lists"];

    /// <summary>Identifiers that name types.</summary>
    public static readonly HashSet<string> TypeNames = ["int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type", "dyn"];

    public static bool Evaluable(string function) => PackageFunctions.Contains(function) || AddedFunctions.Contains(function);

    /// <summary>Compiles with the shared environment (the Cel package's compiler is not documented as thread-safe).</summary>
    public static CelProgramDelegate Compile(string expression)
    {
        lock (Sync) return Environment.Compile(expression);
    }

    public static Cel.Internal.CelParser.StartContext Parse(string expression)
    {
        lock (Sync) return Environment.Parse(expression);
    }

    private static CelEnvironment Create()
    {
        var env = new CelEnvironment(null, null);
        env.RegisterFunction("lowerAscii", [typeof(string)], a => AsciiCase((string)a[0]!, upper: false));
        env.RegisterFunction("upperAscii", [typeof(string)], a => AsciiCase((string)a[0]!, upper: true));
        env.RegisterFunction("trim", [typeof(string)], a => ((string)a[0]!).Trim());
        env.RegisterFunction("split", [typeof(string), typeof(string)], a => ((string)a[0]!).Split((string)a[1]!).Cast<object?>().ToList());
        env.RegisterFunction("join", [typeof(IList)], a => string.Concat(((IList)a[0]!).Cast<object?>()));
        env.RegisterFunction("join", [typeof(IList), typeof(string)], a => string.Join((string)a[1]!, ((IList)a[0]!).Cast<object?>()));
        env.RegisterFunction("replace", [typeof(string), typeof(string), typeof(string)],
            a => ((string)a[0]!).Replace((string)a[1]!, (string)a[2]!, StringComparison.Ordinal));
        env.RegisterFunction("indexOf", [typeof(string), typeof(string)], a => CodePointIndex((string)a[0]!, ((string)a[0]!).IndexOf((string)a[1]!, StringComparison.Ordinal)));
        env.RegisterFunction("lastIndexOf", [typeof(string), typeof(string)], a => CodePointIndex((string)a[0]!, ((string)a[0]!).LastIndexOf((string)a[1]!, StringComparison.Ordinal)));
        env.RegisterFunction("indexOf", [typeof(IList), typeof(object)], a => (long)IndexOf((IList)a[0]!, a[1]));
        env.RegisterFunction("lastIndexOf", [typeof(IList), typeof(object)], a => (long)LastIndexOf((IList)a[0]!, a[1]));
        env.RegisterFunction("substring", [typeof(string), typeof(long)], a => Substring((string)a[0]!, (long)a[1]!, null));
        env.RegisterFunction("substring", [typeof(string), typeof(long), typeof(long)], a => Substring((string)a[0]!, (long)a[1]!, (long)a[2]!));
        env.RegisterFunction("charAt", [typeof(string), typeof(long)], a => Substring((string)a[0]!, (long)a[1]!, (long)a[1]! + 1));
        env.RegisterFunction("reverse", [typeof(string)], a => new string(((string)a[0]!).Reverse().ToArray()));
        // The regex library: RE2 in the server; .NET's engine agrees on the plain patterns CRD rules use.
        env.RegisterFunction("find", [typeof(string), typeof(string)], a => Regex((string)a[1]!).Match((string)a[0]!) is { Success: true } m ? m.Value : "");
        env.RegisterFunction("findAll", [typeof(string), typeof(string)],
            a => Regex((string)a[1]!).Matches((string)a[0]!).Select(m => (object?)m.Value).ToList());
        env.RegisterFunction("findAll", [typeof(string), typeof(string), typeof(long)],
            a => Regex((string)a[1]!).Matches((string)a[0]!).Take((long)a[2]! < 0 ? int.MaxValue : (int)(long)a[2]!).Select(m => (object?)m.Value).ToList());
        env.RegisterFunction("isSorted", [typeof(IList)], a => IsSorted((IList)a[0]!));
        env.RegisterFunction("sum", [typeof(IList)], a => Sum((IList)a[0]!));
        env.RegisterFunction("min", [typeof(IList)], a => Extreme((IList)a[0]!, min: true));
        env.RegisterFunction("max", [typeof(IList)], a => Extreme((IList)a[0]!, min: false));
        return env;
    }

    private static System.Text.RegularExpressions.Regex Regex(string pattern) =>
        new(pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static string AsciiCase(string s, bool upper) =>
        string.Concat(s.Select(c => c > 127 ? c : upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)));

    private static long CodePointIndex(string s, int utf16Index) =>
        utf16Index < 0 ? -1 : s[..utf16Index].EnumerateRunes().Count();

    private static string Substring(string s, long start, long? end)
    {
        var runes = s.EnumerateRunes().ToArray();
        var stop = end ?? runes.Length;
        if (start < 0 || start > runes.Length || stop < start || stop > runes.Length)
            throw new CelArgumentRangeException($"index out of range: {(start < 0 || start > runes.Length ? start : stop)}");
        return string.Concat(runes[(int)start..(int)stop].Select(r => r.ToString()));
    }

    private static int IndexOf(IList list, object? value)
    {
        for (var i = 0; i < list.Count; i++) if (Equals(list[i], value)) return i;
        return -1;
    }

    private static int LastIndexOf(IList list, object? value)
    {
        for (var i = list.Count - 1; i >= 0; i--) if (Equals(list[i], value)) return i;
        return -1;
    }

    private static bool IsSorted(IList list)
    {
        for (var i = 1; i < list.Count; i++)
            if (Comparer.DefaultInvariant.Compare(list[i - 1], list[i]) > 0) return false;
        return true;
    }

    private static object Sum(IList list)
    {
        if (list.Count == 0) return 0L;
        if (list.Cast<object?>().All(x => x is long or int)) return list.Cast<object>().Sum(Convert.ToInt64);
        return list.Cast<object>().Sum(x => Convert.ToDouble(x, CultureInfo.InvariantCulture));
    }

    private static object? Extreme(IList list, bool min)
    {
        if (list.Count == 0) throw new CelArgumentRangeException("min called on empty list");
        var best = list[0];
        foreach (var x in list)
        {
            var c = Comparer.DefaultInvariant.Compare(x, best);
            if (min ? c < 0 : c > 0) best = x;
        }
        return best;
    }
}
