package io.sluice.runtime.java;

import io.sluice.model.FunctionDef;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.JavaFunction;
import io.sluice.runtime.internal.Settings;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Functions named by class ({@code class: com.example.Fn}), each instantiated once. */
final class JavaFunctionClasses {
  private final Map<String, JavaFunction> instances = new ConcurrentHashMap<>();

  JavaFunction get(FunctionDef def, String className) {
    JavaFunction fn = instances.get(className);
    return fn != null ? fn : instances.computeIfAbsent(className, c -> instantiate(def, c));
  }

  private static JavaFunction instantiate(FunctionDef def, String className) {
    Class<?> type;
    try {
      type = Class.forName(className, true, loader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw bad(
          def,
          className,
          "is not on the class path ("
              + e
              + "); add its jar or folder with --classpath, a worker's classpath: or"
              + " SLUICE_CLASSPATH");
    }
    if (!JavaFunction.class.isAssignableFrom(type)) {
      throw bad(def, className, "does not implement " + JavaFunction.class.getName());
    }
    if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
      throw bad(def, className, "must be a public, non-abstract class");
    }
    try {
      Constructor<?> ctor = type.getConstructor();
      return (JavaFunction) ctor.newInstance();
    } catch (NoSuchMethodException e) {
      throw bad(def, className, "has no public no-argument constructor");
    } catch (InvocationTargetException e) {
      throw bad(def, className, "failed in its constructor: " + e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw bad(def, className, "cannot be instantiated: " + e);
    }
  }

  private static ClassLoader loader() {
    ClassLoader user = UserClassPath.loader();
    if (user != null) {
      return user; // --classpath / classpath: (its parent is the application loader)
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : JavaFunctionClasses.class.getClassLoader();
  }

  private static FunctionException bad(FunctionDef def, String className, String problem) {
    return new FunctionException(
        FunctionException.BAD_CONFIGURATION,
        Settings.describe(def) + ": class " + className + " " + problem,
        false);
  }
}
