// @ts-check
/**
 * A local TypeDoc plugin: members a class inherits from the JavaScript runtime's own types
 * (`Error.captureStackTrace`, `Error.prototype.stack`, … from TypeScript's lib files and
 * `@types/node`) are left out of the site. They document Node and V8, not this project, and their
 * comments link to sites the docs must not send readers to. Members inherited from the project's
 * own classes stay.
 */
import { Converter, ReflectionKind } from 'typedoc';

/**
 * Whether a reflection is a member inherited from a type outside the project's packages.
 * @param {import('typedoc').Reflection} reflection
 * @returns {boolean}
 */
export function inheritedFromRuntime(reflection) {
  if (!reflection.kindOf(ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Accessor)) return false;
  const from = /** @type {{ inheritedFrom?: import('typedoc').ReferenceType }} */ (reflection).inheritedFrom;
  // TypeDoc marks what is declared outside the entry points' sources (lib files, @types) external.
  return from !== undefined && reflection.flags.isExternal;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    for (const reflection of Object.values(project.reflections)) {
      if (inheritedFromRuntime(reflection)) project.removeReflection(reflection);
    }
  });
}
