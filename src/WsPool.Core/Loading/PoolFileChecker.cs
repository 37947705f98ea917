using WsPool.Core.Validation;

namespace WsPool.Core.Loading;

/// <summary>
/// Reads a file's pools and validates each: what `wspool validate` reports and what `wspool render` refuses on.
/// Validation errors get the line and column of the field they name (or of its nearest written ancestor).
/// </summary>
public static class PoolFileChecker
{
    public static PoolFile Check(string text, string fileName)
    {
        var loaded = PoolLoader.Load(text, fileName);
        var problems = new List<Problem>(loaded.Problems);
        foreach (var pool in loaded.Pools)
            foreach (var error in PoolValidator.Validate(pool.Pool).Where(e => !pool.RestsOnReplacedValue(e.Path)))
                problems.Add(new Problem(pool.Id, error.Path, error.Message, pool.Find(error.Path) ?? pool.Location, pool.DocumentIndex));
        // Stable: within a document the loader's and the validator's own orders are kept.
        return loaded with { Problems = problems.OrderBy(p => p.Document).ToList() };
    }
}
