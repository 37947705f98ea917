using System.Text.Json.Nodes;
using WsPool.Core.Loading;

namespace WsPool.Install.Tests.Differential;

/// <summary>`wspool validate` on the same pool: the loader's and the validator's problems, by field path.</summary>
public static class WspoolJudge
{
    public static Verdict Judge(JsonObject pool)
    {
        // JSON is YAML: the CLI reads exactly this text the way it reads a user's file.
        var checkedFile = PoolFileChecker.Check(pool.ToJsonString(), "pool.json");
        if (checkedFile.Problems.Count == 0) return Verdict.Accept();
        var fields = checkedFile.Problems.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        return new Verdict(false, fields, true, string.Join("\n", checkedFile.Problems));
    }
}
