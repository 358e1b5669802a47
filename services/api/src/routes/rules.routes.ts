import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { getRules, RulesPatch, updateRules, type EngineContext } from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { replies } from '../schemas.js';
import { RulesOut } from '../responses.js';

export function rulesRoutes(instance: FastifyInstance, ctx: EngineContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/rules',
    {
      schema: {
        tags: ['rules'],
        summary: 'Every threshold, window, SLA, routing row and floor margin',
        response: replies({ 200: RulesOut }),
      },
    },
    async (request) => getRules(ctx, actorOf(request)),
  );
  app.put(
    '/api/rules',
    {
      schema: {
        tags: ['rules'],
        summary: 'Change rules (admin); merged over the rules in force',
        body: RulesPatch,
        response: replies({ 200: RulesOut }, [400]),
      },
    },
    async (request) => updateRules(ctx, actorOf(request), request.body),
  );
}
