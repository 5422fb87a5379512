import { Injectable } from '@nestjs/common';
import { compileMapping, type CompiledMapping, type MappingDefinition } from '@hookline/mapping-rules';

/** A definition is compiled once per (trigger, version); versions are immutable, so entries never go stale. */
@Injectable()
export class CompiledMappingsCache {
  private readonly cache = new Map<string, CompiledMapping>();

  get(triggerId: string, version: number, definition: MappingDefinition): CompiledMapping {
    const key = `${triggerId}@${version}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      compiled = compileMapping(definition);
      if (this.cache.size >= 5_000) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, compiled);
    }
    return compiled;
  }
}
