namespace WsPool.Core.Crd;

/// <summary>How a CLR type maps onto the JSON shapes of an OpenAPI schema.</summary>
internal static class SchemaTypes
{
    /// <summary>The element type of a list (IList&lt;T&gt;, List&lt;T&gt;, T[] …), or null when the type is no list.</summary>
    public static Type? ListElement(Type type)
    {
        if (type == typeof(string) || type == typeof(byte[])) return null;
        if (type.IsArray) return type.GetElementType();
        if (DictionaryValue(type) is not null) return null;
        return GenericArgumentOf(type, typeof(IEnumerable<>));
    }

    /// <summary>The value type of a string-keyed dictionary, or null when the type is no such dictionary.</summary>
    public static Type? DictionaryValue(Type type)
    {
        var pair = GenericArgumentOf(type, typeof(IEnumerable<>));
        if (pair is not { IsGenericType: true } || pair.GetGenericTypeDefinition() != typeof(KeyValuePair<,>)) return null;
        var args = pair.GetGenericArguments();
        if (args[0] != typeof(string))
            throw new NotSupportedException($"{type}: only string-keyed dictionaries map onto a JSON object");
        return args[1];
    }

    /// <summary>A class serialised as a JSON object with named properties (an API type or a Kubernetes model).</summary>
    public static bool IsObject(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(object) && !type.IsArray
        && ListElement(type) is null && DictionaryValue(type) is null;

    /// <summary>Whether the property may be left out: a nullable value type or a nullable reference.</summary>
    public static bool IsNullable(System.Reflection.PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null
        || new System.Reflection.NullabilityInfoContext().Create(property).WriteState
            is System.Reflection.NullabilityState.Nullable;

    private static Type? GenericArgumentOf(Type type, Type openInterface)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == openInterface) return type.GetGenericArguments()[0];
        return type.GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface)
            ?.GetGenericArguments()[0];
    }
}
