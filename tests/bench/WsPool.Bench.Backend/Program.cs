Console.WriteLine("bench-backend: not built yet");
