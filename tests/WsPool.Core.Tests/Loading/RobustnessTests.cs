using WsPool.Core.Loading;
using WsPool.Core.Tests.Validation;

namespace WsPool.Core.Tests.Loading;

/// <summary>
/// Bad input must come back as problems, never as an exception: every example is damaged one character at a time
/// (deleted, or replaced by a character YAML treats specially) and checked.
/// </summary>
public class RobustnessTests
{
    [Theory]
    [MemberData(nameof(TestPools.ValidExamples), MemberType = typeof(TestPools))]
    public void Damaged_files_yield_problems_not_exceptions(string example)
    {
        var text = File.ReadAllText(TestPools.Example(example));
        var damaged = 0;
        for (var i = 0; i < text.Length; i++)
        {
            foreach (var variant in Variants(text, i))
            {
                var result = FluentActions.Invoking(() => PoolFileChecker.Check(variant, example)).Should().NotThrow().Subject;
                result.Problems.Should().NotContain(p => p.Message.Contains("could not check") || p.Message.Contains("cannot be read"),
                    "a rule or the deserializer failed on:\n{0}", variant);
                if (!result.IsValid) damaged++;
            }
        }
        damaged.Should().BePositive();
    }

    private static IEnumerable<string> Variants(string text, int i)
    {
        // A sample of positions, each special character in turn, keeps this to seconds on a busy machine.
        const string specials = ":[{-#&*!|>'\"\t%";
        if (i % 7 == 0) yield return text.Remove(i, 1);
        if (i % 5 == 0) yield return text[..i] + specials[i / 5 % specials.Length] + text[(i + 1)..];
    }
}
