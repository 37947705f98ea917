using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WsPool.Install.Tests.Differential;

/// <summary>
/// Asks a Kubernetes API (the real apiextensions-apiserver, or the emulator) whether it would create a pool: a
/// server-side dry run with fieldValidation=Warn, so an unknown field comes back as a warning while the rest of the
/// object is still validated. kubectl's default (Strict) would refuse the unknown field with a 400 that hides the rest;
/// a warning or a cause both count as a rejection here.
/// </summary>
public sealed partial class ServerJudge(HttpClient http)
{
    private const string Path = "/apis/wspool.dev/v1alpha1/namespaces/default/websocketpools?dryRun=All&fieldValidation=Warn";

    public async Task<Verdict> JudgeAsync(JsonObject pool)
    {
        using var content = new StringContent(pool.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(Path, content);
        var body = await response.Content.ReadAsStringAsync();
        var fields = new HashSet<string>(StringComparer.Ordinal);
        if (response.Headers.TryGetValues("Warning", out var warnings))
            foreach (var warning in warnings)
                foreach (Match m in UnknownField().Matches(warning))
                    fields.Add(m.Groups[1].Value);

        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
            return fields.Count == 0 ? Verdict.Accept(body) : new Verdict(false, fields, true, body);
        if (response.StatusCode != HttpStatusCode.UnprocessableEntity)
            throw new InvalidOperationException($"unexpected {(int)response.StatusCode} from the server: {body}");

        var complete = true;
        var named = new HashSet<string>(fields, StringComparer.Ordinal);
        var causes = JsonNode.Parse(body)?["details"]?["causes"]?.AsArray() ?? [];
        foreach (var cause in causes)
        {
            var field = cause?["field"]?.GetValue<string>() ?? "";
            var message = cause?["message"]?.GetValue<string>() ?? "";
            if (field == "<nil>" && message.Contains("some validation rules were not checked"))
                complete = false;
            else
            {
                fields.Add(field);
                named.Add(AsNamed(field, message));
            }
        }
        return new Verdict(false, fields, complete, body) { Named = named };
    }

    /// <summary>A cause's field as a user reads it (see <see cref="Verdict.Named"/>).</summary>
    private static string AsNamed(string field, string message)
    {
        if (field == "<nil>" && FormatCause().Match(message) is { Success: true } format) return format.Groups[1].Value;
        if (field == "<nil>" && AnyOfCause().Match(message) is { Success: true } anyOf) return anyOf.Groups[1].Value;
        return field.StartsWith('.') ? field[1..] : field;
    }

    [GeneratedRegex("Checked value must be of type \\w+ (?:with format \\w+|\\(default format\\)) in (\\S+)$")]
    private static partial Regex FormatCause();

    [GeneratedRegex("\"(\\S+)\" must validate at least one schema \\(anyOf\\)$")]
    private static partial Regex AnyOfCause();

    [GeneratedRegex("unknown field \\\\?\"([^\"\\\\]+)\\\\?\"")]
    private static partial Regex UnknownField();
}
