using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WsPool.Testing;

/// <summary>
/// The one way tests wait for an asynchronous effect (a metric, a count, a DNS answer, a status condition, an event, a
/// file or the output of another process, a port): read it again and again until it satisfies a condition, with a
/// deadline. On a timeout it fails with what was awaited and the last value seen, so a failure says how far the system
/// got. Never read such an effect once, and never sleep a fixed time before asserting it: a busy machine makes any
/// fixed sleep too short.
/// </summary>
/// <remarks>
/// An exception thrown by the read is not retried: it ends the wait at once (a crashed process should fail fast, not
/// after the deadline). A read whose failures are expected while waiting (a port not yet listening) turns them into a
/// value itself.
/// </remarks>
public static class Eventually
{
    /// <summary>How long a wait lasts unless the caller says otherwise: generous, since only a failing test waits it out.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The pause between two reads.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    private const int MaxDescriptionLength = 4000;

    /// <summary>
    /// Reads until <paramref name="until"/> holds and returns the value that satisfied it; throws a
    /// <see cref="TimeoutException"/> naming <paramref name="what"/> and the last value seen when the deadline passes.
    /// </summary>
    /// <param name="read">Reads the current value (each call reads afresh).</param>
    /// <param name="until">The condition the value should reach.</param>
    /// <param name="what">What is awaited, for the failure message ("3 connections on pod-0").</param>
    /// <param name="timeout">The deadline from now; <see cref="DefaultTimeout"/> when null.</param>
    /// <param name="describe">Shows a value in the failure message; <see cref="Describe"/> when null.</param>
    /// <param name="interval">The pause between reads; <see cref="DefaultInterval"/> when null.</param>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> until, string what, TimeSpan? timeout = null,
        Func<T, string>? describe = null, TimeSpan? interval = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var started = Stopwatch.GetTimestamp();
        var reads = 0;
        while (true)
        {
            var value = await read();
            reads++;
            if (until(value)) return value;
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= limit)
            {
                string seen;
                try { seen = describe is null ? Describe(value) : describe(value); }
                catch (Exception e) { seen = $"({typeof(T).Name} that could not be described: {e.Message})"; }
                throw new TimeoutException(
                    $"timed out after {Seconds(elapsed)} waiting for: {what}\nlast value seen (read {reads} times): {seen}");
            }
            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    /// <inheritdoc cref="ValueAsync{T}(Func{Task{T}}, Func{T, bool}, string, TimeSpan?, Func{T, string}?, TimeSpan?)"/>
    public static Task<T> ValueAsync<T>(Func<T> read, Func<T, bool> until, string what, TimeSpan? timeout = null,
        Func<T, string>? describe = null, TimeSpan? interval = null) =>
        ValueAsync(() => Task.FromResult(read()), until, what, timeout, describe, interval);

    /// <summary>
    /// Waits until <paramref name="condition"/> is true. The condition is all there is to show on a timeout, so prefer
    /// <see cref="ValueAsync{T}(Func{T}, Func{T, bool}, string, TimeSpan?, Func{T, string}?, TimeSpan?)"/> whenever the
    /// condition is about a value (a count, a status, a list); <paramref name="state"/> adds what to show.
    /// </summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<object?>? state = null) =>
        ValueAsync(() => (Holds: condition(), State: state?.Invoke()), v => v.Holds, what, timeout,
            v => state is null ? "false" : $"false; {Describe(v.State)}");

    /// <summary>A value as a failure message shows it: strings quoted, collections listed, other objects as JSON.</summary>
    public static string Describe(object? value)
    {
        var text = value switch
        {
            null => "null",
            string s => $"\"{s}\"",
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            JsonElement e => e.GetRawText(),
            IDictionary d => "{" + string.Join(", ", Entries(d).Take(100).Select(e => $"{Describe(e.Key)}: {Describe(e.Value)}")) + "}",
            IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Take(100).Select(Describe))}]",
            _ when OverridesToString(value.GetType()) => value.ToString() ?? "",
            _ => AsJson(value),
        };
        return text.Length <= MaxDescriptionLength
            ? text
            : text[..(MaxDescriptionLength / 4)] + $" … ({text.Length - MaxDescriptionLength} characters) … " + text[^(MaxDescriptionLength * 3 / 4)..];
    }

    private static IEnumerable<DictionaryEntry> Entries(IDictionary dictionary)
    {
        var entries = dictionary.GetEnumerator();
        while (entries.MoveNext()) yield return entries.Entry;
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
        MaxDepth = 16,
    };

    private static string AsJson(object value)
    {
        try
        {
            return JsonSerializer.Serialize(value, value.GetType(), Json);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            return $"({value.GetType().Name})";
        }
    }

    // Records, tuples and most value types print their contents; plain classes only print their type name.
    private static bool OverridesToString(Type type) =>
        type.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType is { } declaring && declaring != typeof(object)
        && declaring != typeof(ValueType);

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
}
