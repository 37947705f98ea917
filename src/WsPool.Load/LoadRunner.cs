namespace WsPool.Load;

/// <summary>
/// The library entry point. <c>await LoadRunner.RunAsync(options, ct)</c> runs a whole load and returns its summary
/// (cancelling ends the hold early and still returns the summary, marked Stopped); <c>LoadRunner.Start(options)</c>
/// returns the running <see cref="LoadRun"/> for callers that act while the connections are open.
/// </summary>
public static class LoadRunner
{
    public static LoadRun Start(LoadOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException("invalid load options: " + string.Join("; ", problems), nameof(options));
        return new LoadRun(options);
    }

    public static async Task<LoadSummary> RunAsync(LoadOptions options, CancellationToken cancellationToken = default)
    {
        await using var run = Start(options);
        await using var stopOnCancel = cancellationToken.Register(run.Stop);
        return await run.Completion;
    }
}
