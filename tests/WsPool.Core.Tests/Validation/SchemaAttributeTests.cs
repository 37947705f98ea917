using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization;
using WsPool.Core.Api;
using WsPool.Core.Rendering;
using WsPool.Core.Validation;

namespace WsPool.Core.Tests.Validation;

/// <summary>
/// The validator reads the same attributes the CRD is generated from. These tests walk the API types and prove that
/// every schema fact has its C# enforcement, so adding an attribute (or a [CelRule]) without one fails here.
/// </summary>
public class SchemaAttributeTests
{
    /// <summary>Every property of the spec's API types, with its field path (list items as [0]).</summary>
    private static IEnumerable<(string Path, PropertyInfo Property)> SpecProperties()
    {
        var queue = new Queue<(Type Type, string Path)>([(typeof(WebSocketPoolSpec), "spec")]);
        while (queue.Count > 0)
        {
            var (type, path) = queue.Dequeue();
            foreach (var property in type.GetProperties())
            {
                if (property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name is not { } name) continue;
                var fieldPath = $"{path}.{name}";
                yield return (fieldPath, property);
                var propertyType = property.PropertyType;
                if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(List<>))
                {
                    propertyType = propertyType.GetGenericArguments()[0];
                    fieldPath += "[0]";
                }
                if (propertyType.Namespace == typeof(WebSocketPool).Namespace && propertyType.IsClass)
                    queue.Enqueue((propertyType, fieldPath));
            }
        }
    }

    public static TheoryData<string> RangedFields() =>
        new(SpecProperties().Where(p => p.Property.GetCustomAttribute<RangeAttribute>() is not null).Select(p => p.Path));

    public static TheoryData<string> PatternFields() =>
        new(SpecProperties().Where(p => p.Property.PropertyType == typeof(string)
            && p.Property.GetCustomAttribute<RegularExpressionAttribute>() is not null).Select(p => p.Path));

    [Fact]
    public void Every_CEL_rule_has_a_CSharp_counterpart()
    {
        var rules = typeof(WebSocketPool).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<CelRuleAttribute>())
            .Select(r => r.Rule)
            .ToList();

        rules.Should().NotBeEmpty();
        CelRuleChecks.ByRule.Keys.Should().BeEquivalentTo(rules);
    }

    [Fact]
    public void Every_duration_field_has_bounds()
    {
        var durations = SpecProperties().Where(p => p.Property.GetCustomAttribute<DurationAttribute>() is not null).Select(p => p.Path).ToList();

        durations.Should().NotBeEmpty();
        DurationBounds.ByPath.Keys.Should().BeEquivalentTo(durations);
    }

    [Fact]
    public void Every_default_duration_lies_within_its_bounds()
    {
        PoolValidator.Validate(TestPools.Valid()).Should().BeEmpty();
        foreach (var (path, bound) in DurationBounds.ByPath) bound.Min.Should().BeLessThanOrEqualTo(bound.Max, path);
    }

    [Fact]
    public void Every_pattern_has_a_message_in_words()
    {
        var patterns = SpecProperties().Select(p => p.Property.GetCustomAttribute<RegularExpressionAttribute>()?.Pattern).OfType<string>().Distinct();

        patterns.Should().AllSatisfy(p => GrammarMessages.For(p).Should().NotStartWith("must match the pattern"));
    }

    [Fact]
    public void The_longest_owned_object_name_fits_a_DNS_label()
    {
        var pool = TestPools.Valid();
        pool.Metadata.Name = new string('a', MetadataRules.MaxPoolNameLength);
        var names = PoolNames.Of(pool);
        var derived = typeof(PoolNames).GetProperties()
            .Where(p => p.PropertyType == typeof(string) && p.Name is not (nameof(PoolNames.Namespace) or nameof(PoolNames.HeadlessServiceFqdn)))
            .Select(p => (string)p.GetValue(names)!);

        derived.Should().AllSatisfy(n => n.Length.Should().BeLessThanOrEqualTo(63));
    }

    [Theory]
    [MemberData(nameof(RangedFields))]
    public void A_value_above_the_range_is_reported_at_its_path(string path)
    {
        var (pool, range) = PoolWith(path, r => Convert.ToInt32(r.Maximum) + 1);

        PoolValidator.Validate(pool).Should().Contain(e => e.Path == path && e.Message == $"must be between {range.Minimum} and {range.Maximum}");
    }

    [Theory]
    [MemberData(nameof(RangedFields))]
    public void A_value_below_the_range_is_reported_at_its_path(string path)
    {
        var (pool, range) = PoolWith(path, r => Convert.ToInt32(r.Minimum) - 1);

        PoolValidator.Validate(pool).Should().Contain(e => e.Path == path && e.Message.StartsWith("must be between"));
    }

    [Theory]
    [MemberData(nameof(PatternFields))]
    public void A_newline_cannot_pass_any_pattern(string path)
    {
        var pool = TestPools.Valid();
        var (target, property) = Resolve(pool, path);
        property.SetValue(target, "ok\nserver evil 1.2.3.4:80");

        PoolValidator.Validate(pool).Should().Contain(e => e.Path == path);
    }

    /// <summary>A valid pool whose field at <paramref name="path"/> is set from its [Range].</summary>
    private static (WebSocketPool Pool, RangeAttribute Range) PoolWith(string path, Func<RangeAttribute, int> value)
    {
        var pool = TestPools.Valid();
        var (target, property) = Resolve(pool, path);
        var range = property.GetCustomAttribute<RangeAttribute>()!;
        property.SetValue(target, value(range));
        return (pool, range);
    }

    /// <summary>The object holding the last field of <paramref name="path"/>, creating optional sections on the way.</summary>
    private static (object Target, PropertyInfo Property) Resolve(WebSocketPool pool, string path)
    {
        object target = pool;
        var segments = path.Split('.');
        for (var i = 0; i < segments.Length; i++)
        {
            var name = segments[i].Replace("[0]", "");
            var property = target.GetType().GetProperties().Single(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == name);
            if (i == segments.Length - 1) return (target, property);
            var next = property.GetValue(target);
            if (next is null)
            {
                next = Activator.CreateInstance(property.PropertyType)!;
                property.SetValue(target, next);
            }
            if (segments[i].EndsWith("[0]"))
            {
                var list = (System.Collections.IList)next;
                if (list.Count == 0) list.Add(Activator.CreateInstance(property.PropertyType.GetGenericArguments()[0]));
                next = list[0]!;
            }
            target = next;
        }
        throw new InvalidOperationException(path);
    }
}
