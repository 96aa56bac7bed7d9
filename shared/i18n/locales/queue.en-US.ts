/** English strings of the agent's queues: status bar item and queue login (`queue.*`). */
export const queueEnUS = {
  label: 'Queues',
  none: 'Not in any queue',
  waiting: '{{count}} waiting',
  longest: ' (longest {{wait}})',
  menuTitle: 'Take calls from',
  loginSwitch: 'Take calls from {{name}}',
  loginHint: 'Calls waiting in your queues; click to log in to or out of a queue',
  offer: {
    queue: '{{name}} queue',
    vip: 'VIP caller',
    waited: 'waited {{wait}}',
    reason: {
      owner: 'Routed to you: you own this customer',
      skill: 'Routed to you: best skill level available',
      'longest-idle': 'Routed to you: longest idle agent',
    },
  },
};
